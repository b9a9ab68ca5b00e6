import {
  Box,
  Briefcase,
  Building,
  Calendar,
  Car,
  FileText,
  Flag,
  Folder,
  Gift,
  Globe,
  Key,
  Package,
  ShoppingCart,
  StickyNote,
  Star,
  Tag,
  Truck,
  Wrench,
  type LucideIcon,
} from 'lucide-react';

/** The icons an admin can give a custom object, by the name the API stores. */
export const OBJECT_ICONS: Readonly<Record<string, LucideIcon>> = {
  box: Box,
  briefcase: Briefcase,
  building: Building,
  calendar: Calendar,
  car: Car,
  file: FileText,
  flag: Flag,
  folder: Folder,
  gift: Gift,
  globe: Globe,
  key: Key,
  package: Package,
  cart: ShoppingCart,
  star: Star,
  tag: Tag,
  truck: Truck,
  wrench: Wrench,
};

/** Icons the server's built-in objects kept as data declare (notes), which admins do not pick. */
const BUILT_IN_ICONS: Readonly<Record<string, LucideIcon>> = { 'sticky-note': StickyNote };

/** An object's icon; an unknown or missing name shows a box. */
export function ObjectIcon({ name, size = 16 }: { name: string | null; size?: number }) {
  const Icon = (name ? (OBJECT_ICONS[name] ?? BUILT_IN_ICONS[name]) : undefined) ?? Box;
  return <Icon size={size} aria-hidden />;
}
