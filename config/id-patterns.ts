/** Patterns of AWS IDs the configuration names, shared by recovery's and failback's schemas. */
import { z } from 'zod';

/** AWS Directory Service directory IDs (FSx `ActiveDirectoryId`): `d-` and 10 hexadecimal digits. */
export const DIRECTORY_ID = /^d-[0-9a-f]{10}$/;
/** An optional AWS Directory Service directory ID (`fsx.windowsDirectoryId` of recovery and of failback). */
export const directoryId = () =>
  z
    .string()
    .regex(DIRECTORY_ID, { message: 'must be an AWS Directory Service directory ID: "d-" and 10 hexadecimal digits, such as "d-0123456789"' })
    .optional();
/** FSx for NetApp ONTAP storage virtual machine IDs (FSx API `StorageVirtualMachineId`): `svm-` and 17 hexadecimal digits. */
export const STORAGE_VIRTUAL_MACHINE_ID = /^svm-[0-9a-f]{17}$/;
